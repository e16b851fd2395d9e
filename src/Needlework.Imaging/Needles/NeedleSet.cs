namespace Needlework.Imaging.Needles;

/// <summary>
/// All needles of a needles directory, indexed by tag. A needle qualifies for a set of tags when it has
/// every one of them. Needles that failed to load are listed in <see cref="Problems"/>.
/// </summary>
public sealed class NeedleSet
{
    private readonly Dictionary<string, List<Needle>> _byTag = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Needle> _byName = new(StringComparer.Ordinal);

    public NeedleSet(IEnumerable<Needle> needles, IEnumerable<NeedleProblem> problems)
    {
        var problemList = problems.ToList();
        foreach (var needle in needles.OrderBy(n => n.JsonPath, StringComparer.Ordinal))
        {
            if (!_byName.TryAdd(needle.Name, needle))
            {
                problemList.Add(new NeedleProblem(needle.JsonPath, "(name)", $"another needle named {needle.Name} was loaded from {_byName[needle.Name].JsonPath}"));
                continue;
            }

            foreach (var tag in needle.Tags.Distinct(StringComparer.Ordinal))
            {
                if (!_byTag.TryGetValue(tag, out var list))
                {
                    _byTag[tag] = list = [];
                }

                list.Add(needle);
            }
        }

        Problems = problemList;
    }

    public IReadOnlyCollection<Needle> All => _byName.Values;

    public IReadOnlyList<NeedleProblem> Problems { get; }

    /// <summary>Loads every <c>*.json</c> below <paramref name="directory"/>, recursively.</summary>
    public static NeedleSet Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"needles directory {directory} does not exist");
        }

        var needles = new List<Needle>();
        var problems = new List<NeedleProblem>();
        var files = Directory.EnumerateFiles(directory, "*.json", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Where(f => !Path.GetFileName(Path.GetDirectoryName(f) ?? string.Empty).StartsWith('.'))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var needle = NeedleLoader.Load(file, out var problem);
            if (needle is not null)
            {
                needles.Add(needle);
            }
            else
            {
                problems.Add(problem!);
            }
        }

        return new NeedleSet(needles, problems);
    }

    public Needle? ByName(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The needles that have every one of <paramref name="tags"/>, in a stable order (by name).</summary>
    public IReadOnlyList<Needle> WithTags(params IReadOnlyList<string> tags)
    {
        if (tags.Count == 0)
        {
            return [];
        }

        // Start from the rarest tag, then keep those that have the rest.
        var lists = new List<List<Needle>>();
        foreach (var tag in tags)
        {
            if (!_byTag.TryGetValue(tag, out var list))
            {
                return [];
            }

            lists.Add(list);
        }

        var rarest = lists[0];
        foreach (var list in lists)
        {
            rarest = list.Count < rarest.Count ? list : rarest;
        }

        return rarest.Where(n => tags.All(n.HasTag)).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
    }
}
