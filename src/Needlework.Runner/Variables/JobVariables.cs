using System.Globalization;
using System.Text.Json;
using Needlework.Runner.Results;

namespace Needlework.Runner.Variables;

/// <summary>
/// The job's variables (vars.json: a flat map of strings, with openQA's names). Tests read and set them
/// from the test thread while the runner reads them elsewhere, so access is locked.
/// </summary>
public sealed class JobVariables
{
    private readonly Dictionary<string, string> _values;
    private readonly Lock _lock = new();

    public JobVariables(IReadOnlyDictionary<string, string> values) =>
        _values = new Dictionary<string, string>(values, StringComparer.Ordinal);

    /// <summary>Reads vars.json; every value becomes a string, as openQA's settings are.</summary>
    public static JobVariables Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: expected a JSON object of variables");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            values[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Null => string.Empty,
                _ => property.Value.GetRawText(),
            };
        }

        return new JobVariables(values);
    }

    public string? Get(string name)
    {
        lock (_lock)
        {
            return _values.GetValueOrDefault(name);
        }
    }

    public string Get(string name, string fallback) => Get(name) is { Length: > 0 } value ? value : fallback;

    public void Set(string name, string? value)
    {
        lock (_lock)
        {
            if (value is null)
            {
                _values.Remove(name);
            }
            else
            {
                _values[name] = value;
            }
        }
    }

    public double GetNumber(string name, double fallback)
    {
        var text = Get(name);
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"variable {name}={text} is not a number");
    }

    /// <summary>openQA's truthiness: set, not empty and not "0".</summary>
    public bool IsTrue(string name) => Get(name) is { Length: > 0 } value && value != "0";

    /// <summary>TIMEOUT_SCALE: every timeout of the test API is multiplied by it.</summary>
    public double TimeoutScale => GetNumber("TIMEOUT_SCALE", 1);

    public IReadOnlyDictionary<string, string> Snapshot()
    {
        lock (_lock)
        {
            return new Dictionary<string, string>(_values, StringComparer.Ordinal);
        }
    }

    /// <summary>Writes vars.json without secrets: names starting with <c>_SECRET_</c> or containing <c>_PASSWORD</c>, as os-autoinst leaves them out.</summary>
    public void SaveRedacted(string path)
    {
        // A loop over the names, not LINQ over the pairs: generic code over KeyValuePair (a value type) is not
        // precompiled and would be JIT-compiled at every job start. The document writes them in name order.
        var snapshot = Snapshot();
        var kept = new Dictionary<string, string>(snapshot.Count, StringComparer.Ordinal);
        foreach (var name in snapshot.Keys)
        {
            if (!IsSecret(name))
            {
                kept[name] = snapshot[name];
            }
        }

        ResultFiles.WriteJsonAtomically(path, new VariablesDocument(kept));
    }

    public static bool IsSecret(string name) =>
        name.StartsWith("_SECRET_", StringComparison.Ordinal) || name.Contains("_PASSWORD", StringComparison.Ordinal) || name == "PASSWORD";
}
