namespace Needlework.Imaging.Frames;

/// <summary>A PPM that is truncated or malformed; the message names the source, what is wrong and the byte offset.</summary>
public sealed class PpmFormatException : FormatException
{
    public PpmFormatException(string message)
        : base(message)
    {
    }

    public PpmFormatException()
    {
    }

    public PpmFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
