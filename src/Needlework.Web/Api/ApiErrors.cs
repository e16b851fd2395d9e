namespace Needlework.Web.Api;

/// <summary>openQA's error shape: {"error": "..."} with a fitting status code.</summary>
public static class ApiErrors
{
    public static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);

    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, message);

    public static IResult JobNotFound(long id) => Error(StatusCodes.Status404NotFound, $"Job {id} does not exist");

    public static IResult Conflict(string message) => Error(StatusCodes.Status409Conflict, message);
}
