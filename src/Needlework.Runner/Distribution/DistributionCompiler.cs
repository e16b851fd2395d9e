using System.Reflection;
using System.Runtime.Loader;
using System.IO.Hashing;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Needlework.Runner.Testing;

namespace Needlework.Runner.Distribution;

/// <summary>
/// Compiles a test distribution's C# files into one in-memory assembly with Roslyn. Compiling costs
/// seconds of CPU, so the result is cached on disk by a hash of the sources and of the runner's build (its
/// module version id, which changes with any change of the runner or of the compiler it references): a job
/// that runs the same tests again starts at once, without loading the compiler at all.
/// </summary>
public static class DistributionCompiler
{
    /// <summary>How many compiled distributions the cache keeps (a few MB each at most).</summary>
    public const int CacheEntries = 64;

    private const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using Needlework.Runner.Testing;
        global using Needlework.Runner.Backends;
        """;

    /// <summary>Compiles (or loads from <paramref name="cacheDirectory"/>) the files, given as paths relative to <paramref name="caseDirectory"/>.</summary>
    /// <param name="cacheHit">True when the assembly came from the cache.</param>
    public static Assembly Compile(string caseDirectory, IReadOnlyList<string> files, string? cacheDirectory, out bool cacheHit)
    {
        var sources = files.Select(f => new SourceFile(f, File.ReadAllText(Path.Combine(caseDirectory, f)))).ToList();
        var key = CacheKey(sources);
        var cached = cacheDirectory is null ? null : Path.Combine(cacheDirectory, key + ".dll");
        if (cached is not null && File.Exists(cached))
        {
            cacheHit = true;
            File.SetLastWriteTimeUtc(cached, DateTime.UtcNow); // most recently used, for the pruning below
            return Load(File.ReadAllBytes(cached));
        }

        cacheHit = false;
        var bytes = Emit(sources, key);
        if (cached is not null)
        {
            Directory.CreateDirectory(cacheDirectory!);
            var temporary = $"{cached}.{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, cached, overwrite: true);
            Prune(cacheDirectory!);
        }

        return Load(bytes);
    }

    /// <summary>The Roslyn part, kept out of <see cref="Compile"/> so that a cache hit never loads the compiler's assemblies.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static byte[] Emit(List<SourceFile> sources, string key)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = sources
            .Select(s => CSharpSyntaxTree.ParseText(s.Text, options, path: s.Path, encoding: Encoding.UTF8))
            .Append(CSharpSyntaxTree.ParseText(GlobalUsings, options, path: "(global usings)"))
            .ToList();
        CSharpCompilation compilation = CSharpCompilation.Create(
            "distribution-" + key[..12],
            trees,
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));

        compilation = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(ModuleSources(compilation), options, path: "(module sources)"));

        using var pe = new MemoryStream();
        var emitted = compilation.Emit(pe);
        if (!emitted.Success)
        {
            var first = emitted.Diagnostics
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
                .ThenBy(d => d.Location.SourceSpan.Start)
                .First();
            var count = emitted.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
            throw new DistributionException($"unable to compile the tests: {Describe(first)}" + (count > 1 ? $" (and {count - 1} more errors)" : string.Empty));
        }

        return pe.ToArray();
    }

    /// <summary>Keeps the cache from growing without end: only the most recently used assemblies stay.</summary>
    private static void Prune(string cacheDirectory)
    {
        foreach (var stale in new DirectoryInfo(cacheDirectory).GetFiles("*.dll").OrderByDescending(f => f.LastWriteTimeUtc).Skip(CacheEntries))
        {
            try
            {
                stale.Delete();
            }
            catch (IOException)
            {
                // Another runner may be reading it; the next prune gets it.
            }
        }
    }

    /// <summary>Records which file declares each test module class, so the schedule can name modules by path.</summary>
    private static string ModuleSources(CSharpCompilation compilation)
    {
        var testModule = compilation.GetTypeByMetadataName(typeof(TestModule).FullName!);
        var lines = new StringBuilder();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax>())
            {
                if (model.GetDeclaredSymbol(declaration) is not { } symbol || !DerivesFrom(symbol, testModule))
                {
                    continue;
                }

                var name = SymbolDisplay.FormatLiteral(symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty, StringComparison.Ordinal), true);
                lines.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"[assembly: global::Needlework.Runner.Testing.ModuleSource({name}, {SymbolDisplay.FormatLiteral(tree.FilePath, true)})]");
            }
        }

        return lines.ToString();
    }

    private static bool DerivesFrom(INamedTypeSymbol symbol, INamedTypeSymbol? baseType)
    {
        for (var current = symbol.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"tests/boot.cs(12,5): error CS1002: ; expected", with lines counted from 1.</summary>
    private static string Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): error {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    private static IEnumerable<MetadataReference> References()
    {
        foreach (var reference in Basic.Reference.Assemblies.Net100.References.All)
        {
            yield return reference;
        }

        // The test API and what it exposes; tests see the runner's public types.
        foreach (var assembly in new[] { typeof(TestModule).Assembly, typeof(Imaging.Frames.Frame).Assembly })
        {
            yield return MetadataReference.CreateFromFile(assembly.Location);
        }
    }

    private static Assembly Load(byte[] bytes) =>
        AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(bytes));

    /// <summary>
    /// XxHash64 of the runner's build and the sources: a cache key, not a defence against a forger (who could
    /// write the cache directory anyway), so it needs no cryptographic hash and no OpenSSL loaded for it.
    /// </summary>
    private static string CacheKey(IEnumerable<SourceFile> sources)
    {
        var hash = new XxHash64();
        void Add(string text)
        {
            hash.Append(Encoding.UTF8.GetBytes(text));
            hash.Append([0]);
        }

        Add(typeof(TestModule).Assembly.ManifestModule.ModuleVersionId.ToString());
        foreach (var (path, text) in sources.OrderBy(s => s.Path, StringComparer.Ordinal))
        {
            Add(path);
            Add(text);
        }

        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}

/// <summary>
/// A test distribution's source file: a class rather than a tuple, since LINQ and List over a tuple (a value
/// type) are generic code the runner's precompiled image cannot hold, JIT-compiled at every job start.
/// </summary>
internal sealed record SourceFile(string Path, string Text);
