package io.msgbridge.rocketmq;

import io.msgbridge.spi.PermanentException;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.ClientConfig;
import org.apache.rocketmq.remoting.RPCHook;
import org.apache.rocketmq.remoting.netty.TlsSystemConfig;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Applies connection options to rocketmq-client's producers and consumers. */
final class RocketMqClients {
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static Optional<Path> tlsCa;

    private RocketMqClients() {
    }

    /** The ACL hook for the connection's credentials, or null without credentials. */
    static RPCHook rpcHook(RocketMqConnectionOptions options) {
        return options.credentials()
                .map(c -> (RPCHook) new AclClientRPCHook(new SessionCredentials(c.accessKey(), c.secretKey().reveal())))
                .orElse(null);
    }

    /**
     * Applies the connection to a client before it starts. Each client gets an instance name of its own
     * ({@code CLIENT-ID_PIPELINE_ROLE_PID_N}): rocketmq-client shares one connection instance between
     * clients of equal instance names, and with it the first one's credentials; and consumers of one group
     * in several daemons on a host must differ in it to count as several consumers.
     */
    static void configure(ClientConfig client, RocketMqConnectionOptions options, String pipeline, String role, String where) {
        client.setNamesrvAddr(options.nameServerAddress());
        client.setInstanceName(options.clientId() + "_" + pipeline + "_" + role + "_" + ProcessHandle.current().pid()
                + "_" + INSTANCES.incrementAndGet());
        options.namespace().ifPresent(client::setNamespace);
        client.setMqClientApiTimeout((int) Math.min(Integer.MAX_VALUE, options.operationTimeout().toMillis()));
        client.setVipChannelEnabled(false);
        client.setClientCallbackExecutorThreads(2);
        options.tls().ifPresent(tls -> {
            useTls(tls.ca(), where);
            client.setUseTLS(true);
        });
    }

    /**
     * rocketmq-client reads its TLS settings from process-wide fields ({@link TlsSystemConfig}), so every
     * RocketMQ connection of a daemon trusts the same CA; two connections naming different CAs fail the
     * second one's start. Server certificates are always checked (the client's own default, "test mode",
     * would accept any).
     */
    private static synchronized void useTls(Optional<Path> ca, String where) {
        if (tlsCa != null && !tlsCa.equals(ca)) {
            throw new PermanentException(where + ": the RocketMQ client takes one TLS CA per process, and another"
                    + " RocketMQ connection uses " + tlsCa.map(Path::toString).orElse("the JDK's trust store")
                    + "; give every RocketMQ connection the same tls.ca");
        }
        tlsCa = ca;
        TlsSystemConfig.tlsTestModeEnable = false;
        TlsSystemConfig.tlsClientAuthServer = true;
        TlsSystemConfig.tlsClientTrustCertPath = ca.map(p -> p.toAbsolutePath().toString()).orElse(null);
    }
}
