using System.Text;
using System.Text.RegularExpressions;

namespace Needlework.Runner.Testing;

/// <summary>
/// Reads the SUT's serial log (serial0) as it grows. Each successful wait consumes the output up to the end
/// of its match, so the next wait only sees newer output, as os-autoinst's wait_serial does.
/// </summary>
internal sealed class SerialConsole(string path)
{
    private long _offset;

    /// <summary>Text written since the last match.</summary>
    public string Unconsumed()
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length <= _offset)
        {
            return string.Empty;
        }

        stream.Seek(_offset, SeekOrigin.Begin);
        var buffer = new byte[stream.Length - _offset];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return Encoding.Latin1.GetString(buffer, 0, read);
    }

    /// <summary>Looks for <paramref name="pattern"/> in the unconsumed text; on a match consumes through it.</summary>
    public Match? TryMatch(Regex pattern)
    {
        var text = Unconsumed();
        var match = pattern.Match(text);
        if (!match.Success)
        {
            return null;
        }

        // Latin-1 maps bytes to chars one to one, so character offsets are byte offsets.
        _offset += match.Index + match.Length;
        return match;
    }
}
