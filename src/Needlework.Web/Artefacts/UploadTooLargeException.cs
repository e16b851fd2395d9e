namespace Needlework.Web.Artefacts;

/// <summary>An upload went over its size limit; nothing of it was kept.</summary>
public sealed class UploadTooLargeException(long limit) : IOException($"upload exceeds the limit of {limit} bytes")
{
    public long Limit { get; } = limit;
}
