using Needlework.Vnc.Protocol;

namespace Needlework.Vnc.Tests.Unit;

public sealed class VncAuthenticationTests
{
    [Theory]
    [InlineData(0x01, 0x80)]
    [InlineData(0x13, 0xc8)]
    [InlineData(0xf0, 0x0f)]
    [InlineData(0x73, 0xce)] // 's'
    public void ReverseBits_MirrorsTheByte(byte value, byte reversed) => Assert.Equal(reversed, VncAuthentication.ReverseBits(value));

    [Fact]
    public void KeyFromPassword_ReversesBits_PadsWithZeros_AndKeepsEightCharacters()
    {
        Assert.Equal(Convert.FromHexString("CEA6C64EA62E0000"), VncAuthentication.KeyFromPassword("secret"));
        Assert.Equal(VncAuthentication.KeyFromPassword("12345678"), VncAuthentication.KeyFromPassword("123456789"));
    }

    [Fact]
    public void Respond_IsDesEcbWithTheReversedKey_KnownVector()
    {
        // The textbook DES vector: key 133457799BBCDFF1, plain 0123456789ABCDEF, cipher 85E813540F0AB405.
        // A password whose bytes reverse to that key must give that cipher for both challenge halves.
        var password = new string(Convert.FromHexString("133457799BBCDFF1").Select(b => (char)VncAuthentication.ReverseBits(b)).ToArray());
        var challenge = Convert.FromHexString("0123456789ABCDEF0123456789ABCDEF");

        var response = VncAuthentication.Respond(VncAuthentication.KeyFromPassword(password), challenge);

        Assert.Equal("85E813540F0AB40585E813540F0AB405", Convert.ToHexString(response));
    }

    [Fact]
    public void Respond_WeakKey_GivesAClearError()
    {
        var error = Assert.Throws<VncException>(() => VncAuthentication.Respond(VncAuthentication.KeyFromPassword(string.Empty), new byte[16]));
        Assert.Contains("weak key", error.Message, StringComparison.Ordinal);
    }
}
