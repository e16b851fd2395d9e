namespace Needlework.Runner.Testing;

/// <summary>The job was asked to stop (by the worker, or because the SUT or worker became too slow); thrown out of any test API call.</summary>
public sealed class JobStoppedException : Exception
{
    public JobStoppedException(string message)
        : base(message)
    {
    }

    public JobStoppedException()
    {
    }

    public JobStoppedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
