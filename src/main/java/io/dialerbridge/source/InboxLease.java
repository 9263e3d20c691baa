package io.dialerbridge.source;

import io.dialerbridge.batch.BatchOutcome;
import io.dialerbridge.config.ConfigurationException;
import io.dialerbridge.element.Element;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether this daemon is the active one on its {@code BRIDGE_HOME}: the one that holds the inbox lease
 * (Camel's {@code FileLockClusterService}: a file lock under {@code state/cluster/}, kept alive by a
 * heartbeat) and so consumes the inbox (route {@code ingest-file} reads from a {@code master:}
 * endpoint). The others stand by. A daemon that lost the lease takes no more work from the file in
 * progress and records nothing more for it (no dead letter, journal line or report): the next active
 * daemon resumes the file from its journal.
 */
public final class InboxLease implements CamelClusterEventListener.Leadership {

    /** The cluster namespace of the inbox: the lock file is {@code state/cluster/dialer-bridge-inbox}. */
    public static final String NAMESPACE = "dialer-bridge-inbox";

    private static final Logger LOG = LoggerFactory.getLogger(InboxLease.class);

    private final CamelClusterView view;
    private final Clock clock;
    private final AtomicLong takeOvers = new AtomicLong();
    private volatile Instant activeSince;

    private InboxLease(CamelClusterView view, Clock clock) {
        this.view = view;
        this.clock = clock;
    }

    /** One-shot runs, and cluster.enabled=false: this process is the only one that writes. */
    public static InboxLease unshared() {
        return new InboxLease(null, Clock.systemUTC());
    }

    /** The lease of the inbox among the daemons of one cluster service (one shared folder). */
    public static InboxLease on(CamelClusterService cluster, Clock clock) throws Exception {
        InboxLease lease = new InboxLease(cluster.getView(NAMESPACE), clock);
        lease.view.addEventListener(lease);
        return lease;
    }

    /** Whether the inbox is shared with other daemons through the lease. */
    public boolean isShared() {
        return view != null;
    }

    /** Whether this daemon may consume the inbox and write what it does with a file. */
    public boolean isActive() {
        return view == null || view.getLocalMember().isLeader();
    }

    /** When this daemon became the active one, or null while it stands by. */
    public Instant activeSince() {
        return activeSince;
    }

    /** How often this daemon became the active one (its first time included). */
    public long takeOvers() {
        return takeOvers.get();
    }

    /** Before a file's next wave, and before it is finished: stops the file once the lease is lost. */
    public void requireActive(String sourceName) {
        if (!isActive()) {
            throw new Lost(sourceName);
        }
    }

    /** Before the outcome of a batch from a file is recorded: nothing is written once the lease is lost. */
    public void requireActiveFor(BatchOutcome outcome) {
        List<Element> elements = new ArrayList<>(outcome.accepted());
        elements.addAll(outcome.rejected());
        if (!elements.isEmpty() && elements.get(0).source().isFile()) {
            requireActive(elements.get(0).source().file());
        }
    }

    @Override
    public void leadershipChanged(CamelClusterView changed, CamelClusterMember leader) {
        if (changed.getLocalMember().isLeader()) {
            takeOvers.incrementAndGet();
            activeSince = clock.instant();
            LOG.info("this daemon is now the active one: it holds the inbox lease and consumes the inbox");
        } else if (activeSince != null) {
            activeSince = null;
            LOG.warn("this daemon lost the inbox lease: it stops the file in progress (another daemon resumes it "
                    + "from its journal) and stands by");
        }
    }

    /**
     * Refuses to share a folder whose filesystem does not lock files (an NFS mount without lock support,
     * some FUSE filesystems): leader election would not keep a second daemon out.
     */
    public static void checkLocking(Path clusterRoot) {
        try {
            Files.createDirectories(clusterRoot);
            Path probe = clusterRoot.resolve("lock-probe");
            try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = channel.tryLock(0, 1, false)) {
                // held by another starting daemon at this very moment: locking works
                LOG.debug("file locks work under {} ({})", clusterRoot, lock == null ? "held elsewhere" : "acquired");
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new ConfigurationException("the filesystem of " + clusterRoot + " does not support file locks ("
                    + e + "), so several daemons on this folder would not be kept apart. Use a filesystem with "
                    + "working locks (local disk, NFSv4, SMB; see docs/HIGH-AVAILABILITY.md), or run a single daemon "
                    + "with CLUSTER_ENABLED=false");
        }
    }

    /** Thrown when this daemon lost the inbox lease while a file was in progress: the file stays in the inbox. */
    public static final class Lost extends RuntimeException {
        public Lost(String sourceName) {
            super("this daemon lost the inbox lease: " + sourceName + " stops here and the active daemon resumes it "
                    + "from its journal");
        }
    }
}
