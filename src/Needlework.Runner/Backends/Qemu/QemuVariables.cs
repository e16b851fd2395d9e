using System.Globalization;
using System.Text;

namespace Needlework.Runner.Backends.Qemu;

/// <summary>
/// The job variables the QEMU backend reads, with openQA's names and defaults, parsed from the flat
/// string map of vars.json. Parsing only checks values; files are checked when QEMU starts.
/// </summary>
public sealed record QemuVariables
{
    public string? Iso { get; init; }

    public string? Hdd1 { get; init; }

    /// <summary>HDDMODEL: the QEMU device the first disk is attached with.</summary>
    public string HddModel { get; init; } = "virtio-blk";

    public string? Kernel { get; init; }

    public string? Initrd { get; init; }

    public string? KernelCommandLine { get; init; }

    /// <summary>QEMURAM in MiB.</summary>
    public int RamMiB { get; init; } = 1024;

    /// <summary>QEMUCPUS.</summary>
    public int Cpus { get; init; } = 1;

    public int XRes { get; init; } = 1024;

    public int YRes { get; init; } = 768;

    /// <summary>VNC: a fixed display number (openQA gives each worker slot its own); null picks a free one.</summary>
    public int? VncDisplay { get; init; }

    /// <summary>QEMU_NO_KVM: use TCG even where KVM is usable.</summary>
    public bool NoKvm { get; init; }

    /// <summary>NEEDLEWORK_FRAME_SOURCE: <c>qmp</c> (screendump) or <c>vnc</c> (framebuffer); see docs/benchmarks.md for the default's figures.</summary>
    public QemuFrameSource FrameSource { get; init; } = DefaultFrameSource;

    /// <summary>NEEDLEWORK_INPUT: <c>qmp</c> (send-key, input-send-event) or <c>vnc</c> (RFB key and pointer events).</summary>
    public QemuFrameSource Input { get; init; } = QemuFrameSource.Qmp;

    /// <summary>The frame source chosen by the measurements in docs/benchmarks.md ("Frame sources: VNC vs QMP screendump").</summary>
    public const QemuFrameSource DefaultFrameSource = QemuFrameSource.Qmp;

    /// <summary>QEMU_APPEND (split like a shell would, without expansion), appended last to QEMU's command line.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    public static QemuVariables Parse(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var result = new QemuVariables
        {
            Iso = Path("ISO"),
            Hdd1 = Path("HDD_1"),
            HddModel = Text("HDDMODEL") ?? "virtio-blk",
            Kernel = Path("KERNEL"),
            Initrd = Path("INITRD"),
            KernelCommandLine = Text("KERNEL_CMDLINE"),
            RamMiB = Integer("QEMURAM", 1024, 16, 1 << 22, "a whole number of MiB"),
            Cpus = Integer("QEMUCPUS", 1, 1, 256, "a whole number of virtual CPUs"),
            XRes = Integer("XRES", 1024, 320, 8192, "a width in pixels"),
            YRes = Integer("YRES", 768, 200, 8192, "a height in pixels"),
            VncDisplay = Text("VNC") is null ? null : Integer("VNC", 0, 1, 5000, "a VNC display number"),
            NoKvm = Boolean("QEMU_NO_KVM"),
            ExtraArguments = SplitArguments("QEMU_APPEND", Text("QEMU_APPEND")),
            FrameSource = Source("NEEDLEWORK_FRAME_SOURCE", DefaultFrameSource),
            Input = Source("NEEDLEWORK_INPUT", QemuFrameSource.Qmp),
        };

        if (result.Iso is null && result.Hdd1 is null && result.Kernel is null)
        {
            throw new JobVariableException("ISO", null, "nothing to boot: set ISO, HDD_1 or KERNEL");
        }

        if (result.Kernel is null && (result.Initrd is not null || result.KernelCommandLine is not null))
        {
            throw new JobVariableException(result.Initrd is not null ? "INITRD" : "KERNEL_CMDLINE", null, "it needs KERNEL");
        }

        return result;

        string? Text(string name) =>
            variables.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        string? Path(string name)
        {
            var value = Text(name);
            if (value is not null && value.Contains(',', StringComparison.Ordinal))
            {
                // QEMU's option syntax uses commas as separators; os-autoinst refuses them too.
                throw new JobVariableException(name, value, "a file path without commas");
            }

            return value;
        }

        int Integer(string name, int fallback, int min, int max, string what)
        {
            var value = Text(name);
            if (value is null)
            {
                return fallback;
            }

            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
            {
                throw new JobVariableException(name, value, $"expected {what} from {min} to {max}");
            }

            return number;
        }

        QemuFrameSource Source(string name, QemuFrameSource fallback) => Text(name)?.ToUpperInvariant() switch
        {
            null => fallback,
            "QMP" => QemuFrameSource.Qmp,
            "VNC" => QemuFrameSource.Vnc,
            _ => throw new JobVariableException(name, Text(name), "expected qmp or vnc"),
        };

        bool Boolean(string name)
        {
            var value = Text(name);
            return value?.ToUpperInvariant() switch
            {
                null or "0" or "FALSE" or "NO" => false,
                "1" or "TRUE" or "YES" => true,
                _ => throw new JobVariableException(name, value, "expected 1 or 0"),
            };
        }
    }

    /// <summary>
    /// Splits QEMU_APPEND on blanks, honouring single and double quotes. os-autoinst's habit of leaving
    /// out the dash of the first option (QEMU_APPEND=no-reboot) is accepted: it gets one.
    /// </summary>
    internal static IReadOnlyList<string> SplitArguments(string variable, string? text)
    {
        if (text is null)
        {
            return [];
        }

        var arguments = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in text)
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    arguments.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        if (quote is not null)
        {
            throw new JobVariableException(variable, text, $"unbalanced {quote} quote");
        }

        if (inWord)
        {
            arguments.Add(current.ToString());
        }

        if (arguments.Count > 0 && !arguments[0].StartsWith('-'))
        {
            arguments[0] = "-" + arguments[0];
        }

        return arguments;
    }
}
