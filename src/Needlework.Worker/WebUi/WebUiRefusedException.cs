namespace Needlework.Worker.WebUi;

/// <summary>The web UI answered and refused the request (a 4xx with openQA's {"error": ...}): repeating it will not help.</summary>
public sealed class WebUiRefusedException : Exception
{
    public WebUiRefusedException()
    {
    }

    public WebUiRefusedException(string message)
        : base(message)
    {
    }

    public WebUiRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WebUiRefusedException(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; }
}
