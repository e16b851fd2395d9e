using System.Text.Encodings.Web;
using System.Text.Json;

namespace Needlework.Runner.Results;

/// <summary>JSON files that other processes (the worker) read while the job runs: written to a temporary name, then renamed.</summary>
public static class ResultFiles
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void WriteJsonAtomically<T>(string path, T value)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(value, Json));
        File.Move(temporary, path, overwrite: true);
    }
}
