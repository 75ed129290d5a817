package dev.mmh.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ServiceLoader;

/** Opens a store by URL: a folder path (or {@code file:} URL), or a scheme a {@link StoreProvider} serves. */
public final class Stores {
    private Stores() {
    }

    /**
     * Opens a store. {@code s3://bucket/prefix} needs mmh-s3 on the class path; anything without a scheme of two or
     * more letters is a folder path (see {@link FolderStore#open}).
     *
     * @throws IllegalArgumentException if the URL is malformed or no provider serves its scheme
     * @throws StoreException if the store cannot be opened
     */
    public static ObjectStore open(String url, StoreOptions options) throws StoreException {
        String scheme = scheme(url);
        if (scheme == null) {
            return FolderStore.open(Path.of(url));
        }
        if (scheme.equals("file")) {
            return FolderStore.open(Path.of(URI.create(url)));
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad store URL \"" + url + "\": " + e.getMessage(), e);
        }
        for (StoreProvider p : ServiceLoader.load(StoreProvider.class, Stores.class.getClassLoader())) {
            if (p.scheme().equals(scheme)) {
                return p.open(uri, options);
            }
        }
        throw new IllegalArgumentException("no store for \"" + scheme + "://\" URLs in this build (" + url + ")");
    }

    /** The URL's scheme in lower case, or {@code null} if it has none (a path; a drive letter is no scheme). */
    static String scheme(String url) {
        int colon = url.indexOf("://");
        if (colon < 2 && !url.startsWith("file:")) {
            return null;
        }
        if (url.startsWith("file:")) {
            return "file";
        }
        String s = url.substring(0, colon);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
                return null;
            }
        }
        return s.toLowerCase(java.util.Locale.ROOT);
    }
}
