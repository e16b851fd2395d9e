namespace Needlework.Worker.WebUi;

/// <summary>The web UI could not be reached or answered with a server error: try again later.</summary>
public sealed class WebUiUnavailableException : Exception
{
    public WebUiUnavailableException()
    {
    }

    public WebUiUnavailableException(string message)
        : base(message)
    {
    }

    public WebUiUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
