// Run with the Java source launcher on the kafka-local classpath (no build step):
//   java -cp "$(scripts/kafka-local classpath)" scripts/kafka/KafkaLocalAdmin.java wait-ready 127.0.0.1:9092 60
//   java -cp "$(scripts/kafka-local classpath)" scripts/kafka/KafkaLocalAdmin.java create-topics 127.0.0.1:9092 3 t1 t2 ...
// One JVM for "is the broker up" + all topic creations, instead of one kafka-topics JVM per topic.
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

public class KafkaLocalAdmin {

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: KafkaLocalAdmin wait-ready BOOTSTRAP [TIMEOUT_S] | create-topics BOOTSTRAP PARTITIONS TOPIC...");
            System.exit(2);
        }
        String cmd = args[0];
        String bootstrap = args[1];
        switch (cmd) {
            case "wait-ready" -> System.exit(waitReady(bootstrap, args.length > 2 ? Integer.parseInt(args[2]) : 60) ? 0 : 1);
            case "create-topics" -> createTopics(bootstrap, Integer.parseInt(args[2]), List.of(args).subList(3, args.length));
            default -> {
                System.err.println("unknown command " + cmd);
                System.exit(2);
            }
        }
    }

    private static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        return Admin.create(p);
    }

    private static boolean waitReady(String bootstrap, int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try (Admin admin = admin(bootstrap)) {
            while (System.nanoTime() < deadline) {
                try {
                    int nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
                    if (nodes > 0) {
                        return true;
                    }
                } catch (Exception e) {
                    // not up yet
                }
                Thread.sleep(300);
            }
        }
        System.err.println("broker at " + bootstrap + " not ready after " + timeoutSeconds + " s");
        return false;
    }

    private static void createTopics(String bootstrap, int partitions, List<String> topics) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String t : topics) {
                if (!existing.contains(t)) {
                    missing.add(new NewTopic(t, Optional.of(partitions), Optional.empty()));
                }
            }
            if (!missing.isEmpty()) {
                for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> e : admin.createTopics(missing).values().entrySet()) {
                    try {
                        e.getValue().get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException ex) {
                        if (!(ex.getCause() instanceof TopicExistsException)) {
                            throw ex;
                        }
                    }
                }
            }
            Map<String, TopicDescription> d = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
            for (String t : topics) {
                System.out.printf("topic %-32s partitions=%d%s%n", t, d.get(t).partitions().size(),
                        existing.contains(t) ? " (existed)" : " (created)");
            }
        }
    }
}
