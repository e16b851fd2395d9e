using Spectre.Console;
using Spectre.Console.Rendering;

namespace Needlework.Cli.Demo;

/// <summary>"3/5 modules": the progress bar's numbers, which say more than a percentage for five modules.</summary>
internal sealed class ModuleCountColumn : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.MaxValue <= 1 && task.Value == 0
            ? new Text("  -     ")
            : new Text(FormattableString.Invariant($"{task.Value,2:0}/{task.MaxValue:0} modules"));
    }
}
