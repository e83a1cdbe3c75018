using System.Buffers.Binary;

namespace Slardar.Scriptable.Scripting.Compilation.Worker;

/// <summary>
/// One message between the gateway and its compile worker over the worker's stdin/stdout: a 4-byte
/// little-endian length, a type byte, then the body (<see cref="BinaryWriter"/> encoding). Frames are
/// the whole protocol: stdout carries nothing else, stderr is the worker's log.
/// </summary>
internal readonly record struct WorkerFrame(WorkerFrameType Type, byte[] Body)
{
    /// <summary>Larger than any source or image the gateway lets through; a longer length means a broken stream.</summary>
    public const int MaxLength = 64 * 1024 * 1024;

    public static byte[] Encode(WorkerFrameType type, Action<BinaryWriter> body)
    {
        using var buffer = new MemoryStream();
        buffer.Write(stackalloc byte[5]);
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            body(writer);
        }

        var bytes = buffer.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(bytes, bytes.Length - 4);
        bytes[4] = (byte)type;
        return bytes;
    }

    /// <summary>The next frame, or null at the end of the stream (the other side is gone).</summary>
    public static async Task<WorkerFrame?> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var header = new byte[5];
        if (!await FillAsync(stream, header, cancellationToken))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < 1 || length > MaxLength)
        {
            throw new InvalidDataException($"compile worker frame of {length} bytes");
        }

        var body = new byte[length - 1];
        if (!await FillAsync(stream, body, cancellationToken))
        {
            return null;
        }

        return new WorkerFrame((WorkerFrameType)header[4], body);
    }

    public BinaryReader Reader() => new(new MemoryStream(Body, writable: false), System.Text.Encoding.UTF8);

    private static async Task<bool> FillAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
