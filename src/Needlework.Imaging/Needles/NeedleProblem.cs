namespace Needlework.Imaging.Needles;

/// <summary>Why a needle could not be loaded: its JSON file, the field at fault (a JSON path such as <c>area[1].type</c>) and what is wrong.</summary>
public sealed record NeedleProblem(string File, string Field, string Message)
{
    public override string ToString() => $"{File}: {Field}: {Message}";
}
