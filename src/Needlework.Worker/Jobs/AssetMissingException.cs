namespace Needlework.Worker.Jobs;

/// <summary>An asset the job names (ISO, HDD_1, KERNEL, INITRD) is nowhere to be found; the job ends with "asset failure: ...".</summary>
public sealed class AssetMissingException : Exception
{
    public AssetMissingException()
    {
    }

    public AssetMissingException(string message)
        : base(message)
    {
    }

    public AssetMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
