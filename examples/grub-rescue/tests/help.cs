// `help` lists GRUB's commands; the list ends with the zfs ones and a new prompt.
public sealed class help : TestModule
{
    public override void Run()
    {
        EnterCmd("help");
        AssertScreen("grub-help-output");
    }
}
