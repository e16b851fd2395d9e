namespace Needlework.Runner.Testing;

/// <summary>A request to stop: base_state.json's component and message, a category for slowness, and statistics.</summary>
public sealed record StopReason(string Component, string Message, string? Category = null, object? Statistics = null);
