namespace Needlework.Cli.Demo;

/// <summary>The part a job plays in the demo, which decides what result it is expected to end with.</summary>
internal enum DemoJobKind
{
    /// <summary>The GRUB example, expected to pass.</summary>
    Grub,

    /// <summary>The GRUB example with a tight stall limit while the demo freezes its QEMU: expected incomplete, slow_sut, retriggered.</summary>
    Slowed,

    /// <summary>The auto-retrigger clone of <see cref="Slowed"/>, left alone: expected to pass.</summary>
    Retry,

    /// <summary>The Debian installer to its language screen, expected to pass.</summary>
    Installer,
}
