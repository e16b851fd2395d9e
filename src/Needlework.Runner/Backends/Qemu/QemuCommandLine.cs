using System.Globalization;

namespace Needlework.Runner.Backends.Qemu;

/// <summary>Builds QEMU's arguments from the job variables: pure, so every option is tested without starting QEMU.</summary>
public static class QemuCommandLine
{
    public static IReadOnlyList<string> Build(QemuVariables variables, QemuLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(launch);
        var i = CultureInfo.InvariantCulture;
        var args = new List<string>
        {
            "-accel", launch.Accelerator == QemuAccelerator.Kvm ? "kvm" : "tcg",
            "-m", variables.RamMiB.ToString(i),
            "-smp", variables.Cpus.ToString(i),
            // No window and no monitor on stdio: the runner sees the screen through QMP or VNC only.
            "-display", "none",
            "-monitor", "none",
            // The EDID resolution makes graphical guests pick XRES x YRES, as os-autoinst does.
            "-vga", "none",
            "-device", string.Create(i, $"VGA,edid=on,xres={variables.XRes},yres={variables.YRes}"),
            // Loopback only: anyone who can reach the port owns the SUT's keyboard.
            "-vnc", string.Create(i, $"127.0.0.1:{launch.VncDisplay},to={launch.VncDisplayLast}"),
            "-qmp", $"unix:{launch.QmpSocketPath},server=on,wait=off",
            "-serial", $"file:{launch.SerialLogPath}",
            // An absolute pointer so a mouse position maps to one screen position, whatever the guest's acceleration.
            "-device", "usb-ehci,id=ehci",
            "-device", "usb-tablet,bus=ehci.0",
        };

        // Without -no-shutdown a guest power-off ends QEMU, so a halted SUT is seen at once.
        if (variables.Hdd1 is not null)
        {
            // snapshot=on keeps the asset unchanged; openQA's workers share assets between jobs.
            args.Add("-drive");
            args.Add($"file={variables.Hdd1},if=none,id=hd0,media=disk,snapshot=on");
            args.Add("-device");
            args.Add($"{variables.HddModel},drive=hd0");
        }

        if (variables.Iso is not null)
        {
            args.Add("-cdrom");
            args.Add(variables.Iso);
            // Boot the ISO now; a reboot later (after an installation) boots the disk.
            args.Add("-boot");
            args.Add("once=d");
        }

        if (variables.Kernel is not null)
        {
            args.Add("-kernel");
            args.Add(variables.Kernel);
            if (variables.Initrd is not null)
            {
                args.Add("-initrd");
                args.Add(variables.Initrd);
            }

            if (variables.KernelCommandLine is not null)
            {
                args.Add("-append");
                args.Add(variables.KernelCommandLine);
            }
        }

        args.AddRange(variables.ExtraArguments);
        return args;
    }
}
