namespace Needlework.Runner.Results;

/// <summary>A needle that was checked: its name, error, areas and JSON file (relative to the needles directory).</summary>
public sealed record ResultCandidate(string Name, double Error, IReadOnlyList<ResultArea> Area, string Json);
