using System.Text.Json;

namespace Needlework.Web.Api;

/// <summary>
/// Reads parameters the way openqa-cli sends them: query string, form body, or a flat JSON object
/// (with --json). Later sources override earlier ones.
/// </summary>
public static class RequestParameters
{
    /// <exception cref="JsonException">The JSON body is malformed or not a flat object.</exception>
    public static async Task<Dictionary<string, string>> ReadAsync(HttpRequest request, long jsonLimit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            values[key] = value.ToString();
        }

        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            foreach (var (key, value) in form)
            {
                values[key] = value.ToString();
            }
        }
        else if (request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            if (request.ContentLength > jsonLimit)
            {
                throw new JsonException("JSON body too large");
            }

            using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException("expected a JSON object");
            }

            foreach (var property in doc.RootElement.EnumerateObject())
            {
                values[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                    JsonValueKind.Null => string.Empty,
                    _ => throw new JsonException($"{property.Name} must be a string or number"),
                };
            }
        }

        return values;
    }

    /// <summary>Reads a JSON object body of bounded size.</summary>
    /// <exception cref="JsonException">Malformed or not an object.</exception>
    public static async Task<JsonDocument> ReadJsonAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > limit)
        {
            throw new JsonException("JSON body too large");
        }

        var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            throw new JsonException("expected a JSON object");
        }

        return doc;
    }
}
