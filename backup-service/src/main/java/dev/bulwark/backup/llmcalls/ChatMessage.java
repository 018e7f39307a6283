package dev.bulwark.backup.llmcalls;

/** One message of a chat prompt: who said it ({@code system}, {@code user}, ...) and what. */
public record ChatMessage(String role, String content) {}
