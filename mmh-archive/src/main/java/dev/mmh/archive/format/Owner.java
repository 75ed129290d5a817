package dev.mmh.archive.format;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** An entry's owner: numeric ids and, where known, the names (empty when unknown). Immutable. */
public final class Owner {
    private final long uid;
    private final long gid;
    private final byte[] user;
    private final byte[] group;

    public Owner(long uid, long gid, byte[] user, byte[] group) {
        if (uid < 0 || gid < 0) {
            throw new IllegalArgumentException("negative owner id");
        }
        this.uid = uid;
        this.gid = gid;
        this.user = user.clone();
        this.group = group.clone();
    }

    public static Owner of(long uid, long gid, String user, String group) {
        return new Owner(uid, gid, user == null ? new byte[0] : user.getBytes(StandardCharsets.UTF_8),
                group == null ? new byte[0] : group.getBytes(StandardCharsets.UTF_8));
    }

    public long uid() {
        return uid;
    }

    public long gid() {
        return gid;
    }

    public byte[] user() {
        return user.clone();
    }

    public byte[] group() {
        return group.clone();
    }

    public String userName() {
        return new String(user, StandardCharsets.UTF_8);
    }

    public String groupName() {
        return new String(group, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Owner x && uid == x.uid && gid == x.gid && Arrays.equals(user, x.user)
                && Arrays.equals(group, x.group);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(uid * 31 + gid) * 31 + Arrays.hashCode(user);
    }

    @Override
    public String toString() {
        return uid + ":" + gid + "(" + userName() + ":" + groupName() + ")";
    }
}
