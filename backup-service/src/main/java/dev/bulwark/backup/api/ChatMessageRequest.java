package dev.bulwark.backup.api;

/** One message of a chat prompt as sent. */
public record ChatMessageRequest(String role, String content) {}
