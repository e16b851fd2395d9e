using Needlework.Runner.Slowness;

namespace Needlework.Runner.Testing;

/// <summary>A request to stop: base_state.json's component and message, a category for slowness, and the slowness statistics then.</summary>
public sealed record StopReason(string Component, string Message, string? Category = null, SlownessSummary? Statistics = null);
