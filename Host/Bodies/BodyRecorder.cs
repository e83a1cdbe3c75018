using Slardar.Scriptable.Host.Proxy;

namespace Slardar.Scriptable.Host.Bodies;

/// <summary>
/// Makes <see cref="RecordedBody"/>s with the gateway's limits (<c>Proxy:Body:*</c>, copied out at
/// start): what a retry or a second reader may replay is kept in memory up to one limit, in a temp
/// file up to another. One per gateway.
/// </summary>
internal sealed class BodyRecorder
{
    private readonly long _memoryLimit;
    private readonly long _replayLimit;
    private readonly string _tempFolder;

    public BodyRecorder(ProxyOptions options)
    {
        _memoryLimit = options.BodyMemoryBufferBytes;
        _replayLimit = options.BodyReplayLimitBytes;
        _tempFolder = options.BodyTempFolder;
    }

    /// <param name="length">The body's declared length, when known.</param>
    public RecordedBody Record(Stream source, long? length) => new(source, length, _memoryLimit, _replayLimit, _tempFolder);
}
