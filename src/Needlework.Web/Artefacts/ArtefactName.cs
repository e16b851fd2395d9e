namespace Needlework.Web.Artefacts;

/// <summary>File names a worker may upload under: plain names only, so nothing escapes the job's folder.</summary>
public static class ArtefactName
{
    public static bool IsSafe(string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= 200
        && name is not ("." or "..")
        && !name.Contains("..", StringComparison.Ordinal)
        && (char.IsAsciiLetterOrDigit(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '+');

    public static bool IsChecksum(string? checksum) =>
        checksum is { Length: 64 } && checksum.All(char.IsAsciiHexDigitLower);
}
