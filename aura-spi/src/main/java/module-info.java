/**
 * Aura's storage and transport SPIs and the value types shared by every module.
 *
 * <p>JDK only. An embedding server implements these interfaces over its own storage and network; the
 * library modules take them through constructors and never open a socket or a file themselves.
 */
module dev.aura.spi {
  exports dev.aura.spi;
}
