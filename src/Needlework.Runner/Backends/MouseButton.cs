namespace Needlework.Runner.Backends;

public enum MouseButton
{
    Left,
    Middle,
    Right,
}
