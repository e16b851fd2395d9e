using System.Text.Json;
using System.Text.Json.Nodes;

namespace Needlework.Worker.Jobs;

/// <summary>The runner's base_state.json: the first fatal error, written when the runner dies.</summary>
public sealed record BaseState(string? Component, string? Message, string? Category, JsonNode? Statistics)
{
    public const string FileName = "base_state.json";

    /// <summary>Null when the file is missing or unreadable (a runner killed hard leaves none).</summary>
    public static BaseState? Read(string poolDirectory)
    {
        try
        {
            var node = JsonNode.Parse(File.ReadAllText(Path.Combine(poolDirectory, FileName)));
            if (node is not JsonObject o)
            {
                return null;
            }

            var stats = o["statistics"];
            return new BaseState(Text(o, "component"), Text(o, "msg") ?? Text(o, "message"), Text(o, "category"), stats?.DeepClone());
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
