namespace Needlework.Core.Jobs;

/// <summary>Whether a finished job is cloned automatically, and the note appended to its reason.</summary>
public sealed record RetriggerDecision(bool Retrigger, string? Note)
{
    public static RetriggerDecision No { get; } = new(false, null);
}
