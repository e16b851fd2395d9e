using Needlework.Runner.Backends.Qemu;

namespace Needlework.Runner.Tests.Backends.Qemu;

public sealed class QemuCommandLineTests
{
    private static readonly QemuLaunch Launch = new("/pool", QemuAccelerator.Tcg, 12, 76);

    [Fact]
    public void Iso_boot_has_loopback_vnc_qmp_serial_and_no_display()
    {
        var args = QemuCommandLine.Build(new QemuVariables { Iso = "/a.iso", RamMiB = 512, Cpus = 2 }, Launch);
        AssertPair(args, "-accel", "tcg");
        AssertPair(args, "-m", "512");
        AssertPair(args, "-smp", "2");
        AssertPair(args, "-display", "none");
        AssertPair(args, "-vnc", "127.0.0.1:12,to=76");
        AssertPair(args, "-qmp", "unix:/pool/qmp_socket,server=on,wait=off");
        AssertPair(args, "-serial", "file:/pool/serial0");
        AssertPair(args, "-cdrom", "/a.iso");
        AssertPair(args, "-boot", "once=d");
        Assert.Contains("VGA,edid=on,xres=1024,yres=768", args);
        Assert.Contains("usb-tablet,bus=ehci.0", args);
        // A guest power-off must end QEMU, so it is seen.
        Assert.DoesNotContain("-no-shutdown", args);
        Assert.DoesNotContain("-kernel", args);
    }

    [Fact]
    public void Kernel_boot_disk_kvm_and_extra_arguments()
    {
        var vars = new QemuVariables
        {
            Kernel = "/k/linux", Initrd = "/k/initrd.gz", KernelCommandLine = "vga=788", Hdd1 = "/d.qcow2",
            ExtraArguments = ["-no-reboot"],
        };
        var args = QemuCommandLine.Build(vars, Launch with { Accelerator = QemuAccelerator.Kvm });
        AssertPair(args, "-accel", "kvm");
        AssertPair(args, "-kernel", "/k/linux");
        AssertPair(args, "-initrd", "/k/initrd.gz");
        AssertPair(args, "-append", "vga=788");
        AssertPair(args, "-drive", "file=/d.qcow2,if=none,id=hd0,media=disk,snapshot=on");
        AssertPair(args, "-device", "virtio-blk,drive=hd0");
        Assert.DoesNotContain("-cdrom", args);
        Assert.Equal("-no-reboot", args[^1]);
    }

    private static void AssertPair(IReadOnlyList<string> args, string option, string value)
    {
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (args[i] == option && args[i + 1] == value)
            {
                return;
            }
        }

        Assert.Fail($"expected '{option} {value}' in: {string.Join(' ', args)}");
    }
}
