/** The commented starter terminal config written by `npx pos-ga4 config init terminal`. */
export const TERMINAL_TEMPLATE = `# pos-ga4 terminal adapter — reference: docs/configuration.md, deploy/README.md,
# schema: schemas/terminal-config.schema.json. POS_GA4_… environment variables override fields.

storeId: berlin-01                   # letters, digits, inner dashes; part of every transaction id
terminalId: till-1

redis:
  url: redis://127.0.0.1:6379        # rediss://pos-ga4-terminal@redis.example.com:6380 over a WAN
  prefix: pos-ga4                    # the same as the workers
partitions: 8                        # the same as the workers

dataDir: /var/lib/pos-ga4            # spool/ (receipts until Redis has them), rejects/, capture/

sources:
  - type: serial                     # the receipt printer tap
    path: /dev/ttyUSB0               # or vendorId/productId (stable across ports), e.g. '0403' / '6001'
    baudRate: 9600
    format: escpos                   # escpos (printer stream), jsonl or kv (journals)
    profile: /etc/pos-ga4/profiles/receipt.yaml   # docs/receipt-profiles.md; see profiles/ for examples
  # - type: hid                      # the customer-facing barcode scanner
  #   device: { vendorId: '0c2e', productId: '0b61' }
  #   mode: keyboard                 # keyboard wedge, or pos (HID-POS usage page 0x8C)
  #   layout: us                     # us or de

scanMatching: { beforeMs: 120000, afterMs: 20000 }   # a scan joins the receipt cut within this window
# appQrKeys: { k1: 'base64url secret, 32 bytes' }    # docs/app-qr-format.md
# loyaltyPatterns: [{ name: store-card, pattern: '^LOY-\\\\d{7}$' }]

capture: { enabled: true, maxTotalBytes: 1073741824, maxAgeDays: 90 }
spool: { maxEntries: 200000, maxBytes: 268435456 }
heartbeatIntervalMs: 15000
log: { level: info }
`;
