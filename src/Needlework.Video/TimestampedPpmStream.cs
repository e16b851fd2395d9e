using System.Buffers.Binary;

namespace Needlework.Video;

/// <summary>
/// PPM frames with timestamps: each PPM image, header and all, is the payload of one block of a minimal
/// Matroska stream, so the encoder is told when a frame is shown instead of being sent every unchanged frame
/// again. ffmpeg reads it with <c>-f matroska -vcodec ppm -i -</c>; the codec is named on its command line
/// because Matroska has no identifier for PPM. The stream is written for a pipe: the segment's size is left
/// unknown, and each frame is a cluster of its own with its size known, so ffmpeg takes every frame as it
/// arrives. Timestamps are in milliseconds.
/// </summary>
internal static class TimestampedPpmStream
{
    /// <summary>The track's codec: not one Matroska knows, and not read by ffmpeg, which is told the codec.</summary>
    internal const string CodecId = "V_NEEDLEWORK/PPM";

    /// <summary>Bytes in front of each frame's PPM: cluster, timestamp and block headers.</summary>
    internal const int FrameOverhead = 4 + 8 + 1 + 1 + 8 + 1 + 8 + 4;

    private const int SizeLength = 8;

    // Element ids, with their length marker bits as they are written.
    private const uint Ebml = 0x1A45DFA3;
    private const uint EbmlVersion = 0x4286;
    private const uint EbmlReadVersion = 0x42F7;
    private const uint EbmlMaxIdLength = 0x42F2;
    private const uint EbmlMaxSizeLength = 0x42F3;
    private const uint DocType = 0x4282;
    private const uint DocTypeVersion = 0x4287;
    private const uint DocTypeReadVersion = 0x4285;
    private const uint Segment = 0x18538067;
    private const uint Info = 0x1549A966;
    private const uint TimestampScale = 0x2AD7B1;
    private const uint MuxingApp = 0x4D80;
    private const uint WritingApp = 0x5741;
    private const uint Tracks = 0x1654AE6B;
    private const uint TrackEntry = 0xAE;
    private const uint TrackNumber = 0xD7;
    private const uint TrackUid = 0x73C5;
    private const uint TrackType = 0x83;
    private const uint Codec = 0x86;
    private const uint DefaultDuration = 0x23E383;
    private const uint Video = 0xE0;
    private const uint PixelWidth = 0xB0;
    private const uint PixelHeight = 0xBA;
    private const uint Cluster = 0x1F43B675;
    private const uint ClusterTimestamp = 0xE7;
    private const uint SimpleBlock = 0xA3;

    /// <summary>
    /// The stream's start: headers, the segment (of unknown size, it ends with the pipe) and one video track whose
    /// frames last 1/<paramref name="framesPerSecond"/> s unless the next comes later. The size given is the first
    /// frame's; a frame of another size is still read, each PPM carries its own.
    /// </summary>
    public static byte[] Header(int width, int height, int framesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(framesPerSecond, 1);
        var header = new List<byte>(192);
        var ebml = new List<byte>();
        Unsigned(ebml, EbmlVersion, 1);
        Unsigned(ebml, EbmlReadVersion, 1);
        Unsigned(ebml, EbmlMaxIdLength, 4);
        Unsigned(ebml, EbmlMaxSizeLength, SizeLength);
        Text(ebml, DocType, "matroska");
        Unsigned(ebml, DocTypeVersion, 4);
        Unsigned(ebml, DocTypeReadVersion, 2);
        Element(header, Ebml, ebml);

        Id(header, Segment);
        header.Add(0x01);
        header.AddRange([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]); // unknown size

        var info = new List<byte>();
        Unsigned(info, TimestampScale, 1_000_000); // nanoseconds per tick: timestamps in milliseconds
        Text(info, MuxingApp, "needlework");
        Text(info, WritingApp, "needlework");
        Element(header, Info, info);

        var video = new List<byte>();
        Unsigned(video, PixelWidth, (ulong)width);
        Unsigned(video, PixelHeight, (ulong)height);
        var track = new List<byte>();
        Unsigned(track, TrackNumber, 1);
        Unsigned(track, TrackUid, 1);
        Unsigned(track, TrackType, 1); // video
        Text(track, Codec, CodecId);
        Unsigned(track, DefaultDuration, (ulong)Math.Round(1e9 / framesPerSecond));
        Element(track, Video, video);
        var tracks = new List<byte>();
        Element(tracks, TrackEntry, track);
        Element(header, Tracks, tracks);
        return [.. header];
    }

    /// <summary>
    /// Writes what goes in front of a frame's PPM of <paramref name="ppmLength"/> bytes shown from
    /// <paramref name="timestampMs"/> on: a cluster holding the timestamp and one key-frame block of track 1.
    /// Returns <see cref="FrameOverhead"/>; the caller writes the PPM right after.
    /// </summary>
    public static int WriteFrameHeader(long ppmLength, long timestampMs, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timestampMs);
        var blockLength = 4 + ppmLength;
        var clusterLength = 1 + 1 + 8 + 1 + SizeLength + blockLength;
        BinaryPrimitives.WriteUInt32BigEndian(destination, Cluster);
        Size(destination[4..], clusterLength);
        destination[12] = (byte)ClusterTimestamp;
        destination[13] = 0x88; // eight bytes follow
        BinaryPrimitives.WriteInt64BigEndian(destination[14..], timestampMs);
        destination[22] = (byte)SimpleBlock;
        Size(destination[23..], blockLength);
        destination[31] = 0x81; // track 1
        destination[32] = 0; // timestamp relative to the cluster's, two bytes
        destination[33] = 0;
        destination[34] = 0x80; // a key frame: every PPM stands alone
        return FrameOverhead;
    }

    private static void Size(Span<byte> destination, long size)
    {
        // Eight bytes, marker 0x01 first: enough for any frame, and every size the same length.
        BinaryPrimitives.WriteInt64BigEndian(destination, size);
        destination[0] = 0x01;
    }

    private static void Element(List<byte> to, uint id, List<byte> content)
    {
        Id(to, id);
        to.Add(0x01);
        Span<byte> size = stackalloc byte[SizeLength];
        Size(size, content.Count);
        to.AddRange(size[1..]);
        to.AddRange(content);
    }

    private static void Unsigned(List<byte> to, uint id, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        var skip = 0;
        while (skip < 7 && bytes[skip] == 0)
        {
            skip++;
        }

        Id(to, id);
        to.Add((byte)(0x80 | (8 - skip)));
        to.AddRange(bytes[skip..]);
    }

    private static void Text(List<byte> to, uint id, string value)
    {
        Id(to, id);
        to.Add((byte)(0x80 | value.Length));
        foreach (var c in value)
        {
            to.Add((byte)c);
        }
    }

    private static void Id(List<byte> to, uint id)
    {
        // An id's own leading bits give its length, so its bytes are written as they are, without leading zeros.
        var started = false;
        for (var shift = 24; shift >= 0; shift -= 8)
        {
            var b = (byte)(id >> shift);
            started |= b != 0;
            if (started)
            {
                to.Add(b);
            }
        }
    }
}
