using System.Text.Json;
using System.Text.Json.Serialization;

namespace Needlework.Core.Jobs;

/// <summary>The structured reason a job ended, kept in the job's JSON <c>backend</c> field.</summary>
/// <param name="Component">Which part gave up: <c>backend</c>, <c>tests</c>, <c>worker</c>, ...</param>
/// <param name="Category">A machine-readable kind, for example <c>slow_sut</c> or <c>slow_worker</c>.</param>
/// <param name="Message">The same words a human reads in the reason.</param>
/// <param name="Statistics">The stats.json summary or any measurements at the moment of failure.</param>
public sealed record BackendReason(
    [property: JsonPropertyName("component")] string? Component,
    [property: JsonPropertyName("category")] string? Category,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("statistics")] JsonElement? Statistics = null)
{
    public const string SlowSut = "slow_sut";
    public const string SlowWorker = "slow_worker";

    /// <summary>Whether the category says the job was stopped because something was too slow.</summary>
    [JsonIgnore]
    public bool IsSlowness => Category is SlowSut or SlowWorker;

    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>Parses the backend JSON; null for null or blank text.</summary>
    /// <exception cref="JsonException">The text is not a JSON object of this shape.</exception>
    public static BackendReason? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return FromElement(document.RootElement);
    }

    /// <exception cref="JsonException">The element is not an object.</exception>
    public static BackendReason FromElement(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("backend must be a JSON object");
        }

        return new BackendReason(
            Text(element, "component"),
            Text(element, "category"),
            Text(element, "message"),
            element.TryGetProperty("statistics", out var stats) && stats.ValueKind != JsonValueKind.Null ? stats.Clone() : null);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
