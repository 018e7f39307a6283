package dev.bulwark.backup.store;

import static dev.bulwark.common.time.Timestamps.instant;
import static dev.bulwark.common.time.Timestamps.utc;

import dev.bulwark.backup.pages.TrainedDictionary;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** SQL of the pages' zstd dictionaries ({@code page_dictionaries}). */
@ApplicationScoped
public class DictionaryStore {

  private final Pool pool;

  public DictionaryStore(Pool pool) {
    this.pool = pool;
  }

  public Uni<Optional<TrainedDictionary>> newest() {
    return pool.query(
            """
            SELECT id, size_bytes, sample_pages, plain_bytes, dictionary_bytes, created_at
              FROM backup.page_dictionaries ORDER BY created_at DESC, id DESC LIMIT 1
            """)
        .execute()
        .map(rows -> rows.stream().findFirst().map(DictionaryStore::dictionary));
  }

  public Uni<List<TrainedDictionary>> all() {
    return pool.query(
            """
            SELECT id, size_bytes, sample_pages, plain_bytes, dictionary_bytes, created_at
              FROM backup.page_dictionaries ORDER BY created_at DESC, id DESC
            """)
        .execute()
        .map(rows -> rows.stream().map(DictionaryStore::dictionary).toList());
  }

  /** Records a dictionary stored just before; false when one of that id is already recorded. */
  public Uni<Boolean> insert(TrainedDictionary d) {
    return pool.preparedQuery(
            """
            INSERT INTO backup.page_dictionaries
              (id, size_bytes, sample_pages, plain_bytes, dictionary_bytes, created_at)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING
            """)
        .execute(
            Tuple.of(
                d.id(),
                d.sizeBytes(),
                d.samplePages(),
                d.plainBytes(),
                d.dictionaryBytes(),
                utc(d.createdAt())))
        .map(result -> result.rowCount() == 1);
  }

  /**
   * Deletes the rows of dictionaries that are not the newest and that no object is compressed with,
   * and returns their ids; their files go next.
   */
  public Uni<List<Long>> dropUnused() {
    return pool.query(
            """
            DELETE FROM backup.page_dictionaries d
             WHERE d.id <> (SELECT id FROM backup.page_dictionaries
                             ORDER BY created_at DESC, id DESC LIMIT 1)
               AND NOT EXISTS (SELECT 1 FROM backup.page_objects o WHERE o.dictionary_id = d.id)
            RETURNING d.id
            """)
        .execute()
        .map(rows -> rows.stream().map(r -> r.getLong(0)).toList());
  }

  private static TrainedDictionary dictionary(Row row) {
    return new TrainedDictionary(
        row.getLong("id"),
        row.getInteger("size_bytes"),
        row.getInteger("sample_pages"),
        row.getLong("plain_bytes"),
        row.getLong("dictionary_bytes"),
        instant(row.getOffsetDateTime("created_at")));
  }
}
