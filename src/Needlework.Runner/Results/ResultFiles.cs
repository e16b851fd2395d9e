using System.Text.Json;

namespace Needlework.Runner.Results;

/// <summary>JSON files that other processes (the worker) read while the job runs: written to a temporary name, then renamed.</summary>
public static class ResultFiles
{
    /// <summary>Writes <paramref name="value"/> with <see cref="RunnerJson.Files"/>: only the shapes in <see cref="RunnerJsonContext"/>.</summary>
    public static void WriteJsonAtomically<T>(string path, T value)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(value, RunnerJson.Files));
        File.Move(temporary, path, overwrite: true);
    }
}
