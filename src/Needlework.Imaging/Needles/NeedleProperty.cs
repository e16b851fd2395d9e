namespace Needlework.Imaging.Needles;

/// <summary>A needle property: a plain name (<c>"workaround"</c>) or a name with a value (<c>{"name":"workaround","value":"bsc#1"}</c>).</summary>
public sealed record NeedleProperty(string Name, string? Value = null)
{
    public const string Workaround = "workaround";
}
