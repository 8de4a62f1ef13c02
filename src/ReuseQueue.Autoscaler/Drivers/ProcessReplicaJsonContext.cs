using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReuseQueue.Autoscaler.Drivers;

/// <summary>The source-generated JSON serializer of <see cref="ProcessReplicaRecord"/>.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(ProcessReplicaRecord))]
internal sealed partial class ProcessReplicaJsonContext : JsonSerializerContext;
