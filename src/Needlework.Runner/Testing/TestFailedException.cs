namespace Needlework.Runner.Testing;

/// <summary>A test step that failed (an assert): the module fails, the job goes on as the module's flags say.</summary>
public sealed class TestFailedException : Exception
{
    public TestFailedException(string message)
        : base(message)
    {
    }

    public TestFailedException()
    {
    }

    public TestFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
