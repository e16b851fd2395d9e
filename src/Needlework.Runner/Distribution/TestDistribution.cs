using System.Reflection;
using Needlework.Runner.Testing;
using Needlework.Runner.Variables;

namespace Needlework.Runner.Distribution;

/// <summary>
/// A test distribution in CASEDIR: C# files under <c>tests/</c> (one module class per file) and <c>lib/</c>
/// (shared code), and optionally <c>main.cs</c> with a <see cref="TestSchedule"/>. The schedule comes from
/// SCHEDULE (comma-separated module paths such as <c>tests/boot</c>) or else from main.cs.
/// </summary>
public sealed class TestDistribution
{
    private TestDistribution(IReadOnlyList<ScheduledModule> modules, bool fromCache)
    {
        Modules = modules;
        FromCache = fromCache;
    }

    public IReadOnlyList<ScheduledModule> Modules { get; }

    /// <summary>True when the compiled tests came from the cache.</summary>
    public bool FromCache { get; }

    public static TestDistribution Load(string caseDirectory, JobVariables variables, string? cacheDirectory)
    {
        if (!Directory.Exists(caseDirectory))
        {
            throw new DistributionException($"CASEDIR {caseDirectory} does not exist");
        }

        var files = new[] { "tests", "lib" }
            .Select(d => Path.Combine(caseDirectory, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(caseDirectory, f).Replace('\\', '/'))
            .ToList();
        if (File.Exists(Path.Combine(caseDirectory, "main.cs")))
        {
            files.Add("main.cs");
        }

        files.Sort(StringComparer.Ordinal);
        if (files.Count == 0)
        {
            return new TestDistribution([], false);
        }

        var assembly = DistributionCompiler.Compile(caseDirectory, files, cacheDirectory, out var cacheHit);
        var modules = ModulesByScript(assembly);
        var schedule = variables.Get("SCHEDULE") is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : ScheduleFromMain(assembly, variables);

        var scheduled = new List<ScheduledModule>();
        foreach (var entry in schedule)
        {
            var script = entry.EndsWith(".cs", StringComparison.Ordinal) ? entry : entry + ".cs";
            if (!modules.TryGetValue(script, out var type))
            {
                throw new DistributionException($"unable to schedule {entry}: no test module class in {script}");
            }

            var name = Path.GetFileNameWithoutExtension(script);
            if (scheduled.Exists(m => m.Name == name))
            {
                throw new DistributionException($"unable to schedule {entry}: a module named {name} is scheduled already");
            }

            var category = Path.GetFileName(Path.GetDirectoryName(script)) ?? string.Empty;
            scheduled.Add(new ScheduledModule(name, category, script, type));
        }

        return new TestDistribution(scheduled, cacheHit);
    }

    /// <summary>Maps each file under tests/ to the one TestModule class it declares.</summary>
    private static Dictionary<string, Type> ModulesByScript(Assembly assembly)
    {
        var sources = assembly.GetCustomAttributes<ModuleSourceAttribute>().ToDictionary(a => a.TypeName, a => a.Path, StringComparer.Ordinal);
        var result = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(TestModule)) && !t.IsAbstract))
        {
            var script = sources.GetValueOrDefault(type.FullName!.Replace('+', '.')) ?? throw new DistributionException($"cannot tell which file declares {type.FullName}");
            if (!result.TryAdd(script, type))
            {
                throw new DistributionException($"{script} declares more than one test module ({result[script].Name} and {type.Name})");
            }
        }

        return result;
    }

    private static IReadOnlyList<string> ScheduleFromMain(Assembly assembly, JobVariables variables)
    {
        var mains = assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(TestSchedule)) && !t.IsAbstract).ToList();
        if (mains.Count == 0)
        {
            return [];
        }

        if (mains.Count > 1)
        {
            throw new DistributionException($"more than one TestSchedule class: {string.Join(", ", mains.Select(t => t.Name))}");
        }

        var schedule = (TestSchedule)Activator.CreateInstance(mains[0])!;
        schedule.Variables = variables;
        try
        {
            schedule.Schedule();
        }
        catch (Exception e) when (e is not DistributionException)
        {
            throw new DistributionException($"main.cs failed to schedule: {e.Message}", e);
        }

        return schedule.Modules;
    }
}
