namespace Needlework.Runner.Testing;

/// <summary>The needle a screen check matched: its name, tags, and where a click on it lands.</summary>
public sealed record NeedleMatch(string Name, IReadOnlyList<string> Tags, int ClickX, int ClickY, double Similarity)
{
    public bool HasTag(string tag) => Tags.Contains(tag, StringComparer.Ordinal);
}
