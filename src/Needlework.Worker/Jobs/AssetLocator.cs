using System.Text.RegularExpressions;

namespace Needlework.Worker.Jobs;

/// <summary>
/// Finds the job's assets: an absolute path is taken as it is, a relative name is looked up in each asset
/// directory, directly and in openQA's factory layout (iso/, hdd/, other/). The variables are rewritten to
/// absolute paths so the runner does not need to know where assets live.
/// </summary>
public static partial class AssetLocator
{
    public static IReadOnlyDictionary<string, string> Locate(IReadOnlyDictionary<string, string> variables, IReadOnlyList<string> assetDirectories)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(assetDirectories);
        var located = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in variables)
        {
            if (!AssetVariable().IsMatch(key) || string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            located[key] = Find(key, value.Trim(), assetDirectories);
        }

        return located;
    }

    private static string Find(string key, string value, IReadOnlyList<string> directories)
    {
        if (Path.IsPathRooted(value))
        {
            return File.Exists(value) ? value : throw new AssetMissingException($"{key} {value} does not exist");
        }

        var kind = key.StartsWith("ISO", StringComparison.Ordinal) ? "iso" : key.StartsWith("HDD", StringComparison.Ordinal) ? "hdd" : "other";
        var tried = new List<string>();
        foreach (var directory in directories)
        {
            foreach (var candidate in new[] { Path.Combine(directory, value), Path.Combine(directory, kind, value), Path.Combine(directory, "factory", kind, value) })
            {
                var full = Path.GetFullPath(candidate);
                tried.Add(full);
                if (File.Exists(full))
                {
                    return full;
                }
            }
        }

        throw new AssetMissingException(directories.Count == 0
            ? $"{key} {value} is relative and the worker has no asset directory (ASSET_DIR)"
            : $"{key} {value} not found in {string.Join(", ", directories)}");
    }

    [GeneratedRegex("^(ISO(_[0-9]+)?|HDD_[0-9]+|KERNEL|INITRD)$")]
    private static partial Regex AssetVariable();
}
