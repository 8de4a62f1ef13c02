using ReuseQueue.ExampleWorker;
using ReuseQueue.Worker;

var registry = new ExampleTasks().Register(new TaskHandlerRegistry());
return await ReplicaHost.RunAsync(registry, args);
