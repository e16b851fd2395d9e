namespace Needlework.Runner.Backends;

/// <summary>The SUT is gone: its message is exactly the failure's reason text, so it can become the job's reason as is.</summary>
public sealed class BackendDiedException : Exception
{
    public BackendDiedException(BackendFailure failure, Exception? innerException = null)
        : base(failure.Reason, innerException)
    {
        Failure = failure;
    }

    public BackendFailure Failure { get; }
}
