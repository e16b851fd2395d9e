namespace Needlework.Runner.Distribution;

/// <summary>The test distribution cannot run: a compile error (first error with file and line), a missing module, a bad schedule.</summary>
public sealed class DistributionException : Exception
{
    public DistributionException(string message)
        : base(message)
    {
    }

    public DistributionException()
    {
    }

    public DistributionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
