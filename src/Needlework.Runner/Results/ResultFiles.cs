namespace Needlework.Runner.Results;

/// <summary>JSON files that other processes (the worker) read while the job runs: written to a temporary name, then renamed.</summary>
public static class ResultFiles
{
    /// <summary>Writes <paramref name="document"/>, indented, as <see cref="RunnerJson.ToUtf8"/> does.</summary>
    public static void WriteJsonAtomically(string path, IJsonDocument document)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temporary, RunnerJson.ToUtf8(document));
        File.Move(temporary, path, overwrite: true);
    }
}
