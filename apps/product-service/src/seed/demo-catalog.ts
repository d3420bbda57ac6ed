import { CreateProductDto } from '../products/dto/create-product.dto';

/**
 * A realistic demo catalog, generated deterministically (same products, skus and prices on every
 * machine, no network): a few hundred products over a dozen categories.
 */
interface CategoryPlan {
  slug: string;
  skuPrefix: string;
  count: number;
  /** Price range in cents; prices end in 99 like shop prices do. */
  price: [number, number];
  brands: string[];
  lines: string[];
  kinds: string[];
  variants: string[];
  features: string[];
}

const PLANS: CategoryPlan[] = [
  {
    slug: 'laptops',
    skuPrefix: 'LAP',
    count: 24,
    price: [39_900, 289_900],
    brands: ['Norrland', 'Kestrel', 'Vantage', 'Orbis'],
    lines: ['Aero', 'Pro', 'Air', 'Studio', 'Flex'],
    kinds: ['Ultrabook', 'Laptop', 'Convertible', 'Workstation'],
    variants: ['13"', '14"', '15"', '16"'],
    features: [
      'an all-day battery that lasts up to 18 hours',
      'a bright anti-glare display with accurate colours',
      'a backlit keyboard with a comfortable 1.5 mm travel',
      'two Thunderbolt ports and an HDMI output',
      'a fanless design that stays silent under load',
      'fast SSD storage and 16 GB of memory',
      'a full-HD webcam with a privacy shutter',
      'a recycled aluminium chassis under 1.3 kg',
    ],
  },
  {
    slug: 'smartphones',
    skuPrefix: 'PHN',
    count: 22,
    price: [14_900, 139_900],
    brands: ['Lumo', 'Kestrel', 'Pixelon', 'Zentra'],
    lines: ['One', 'Edge', 'Mini', 'Max', 'Lite'],
    kinds: ['Smartphone', 'Phone'],
    variants: ['128 GB', '256 GB', '512 GB'],
    features: [
      'a triple camera with optical zoom and night mode',
      'a 120 Hz OLED screen',
      'fast charging to 50 percent in 20 minutes',
      'water and dust resistance rated IP68',
      'five years of security updates',
      'dual SIM with eSIM support',
      'wireless charging and reverse charging',
    ],
  },
  {
    slug: 'headphones',
    skuPrefix: 'AUD',
    count: 26,
    price: [1_900, 44_900],
    brands: ['Sonora', 'Basswood', 'Auralis', 'Hush'],
    lines: ['Quiet', 'Studio', 'Sport', 'Go', 'Live'],
    kinds: ['Over-Ear Headphones', 'Earbuds', 'On-Ear Headphones', 'Neckband'],
    variants: ['Black', 'White', 'Navy', 'Sand'],
    features: [
      'active noise cancelling with a transparency mode',
      'up to 30 hours of playback per charge',
      'multipoint Bluetooth pairing with two devices',
      'memory foam cushions for long listening sessions',
      'a sweat-resistant finish for workouts',
      'a detachable cable for wired listening',
      'clear calls with beamforming microphones',
    ],
  },
  {
    slug: 'smart-home',
    skuPrefix: 'HOM',
    count: 24,
    price: [1_499, 29_900],
    brands: ['Hearth', 'Nestling', 'Brightly', 'Domo'],
    lines: ['Sense', 'Plus', 'Mini', 'Hub'],
    kinds: ['Smart Plug', 'Thermostat', 'Video Doorbell', 'Smart Speaker', 'Motion Sensor'],
    variants: ['Gen 2', 'Gen 3', '2-Pack', '4-Pack'],
    features: [
      'support for the major voice assistants',
      'energy monitoring in the companion app',
      'local control that keeps working offline',
      'a two-minute setup over Wi-Fi',
      'schedules and away modes',
      'end-to-end encrypted video history',
    ],
  },
  {
    slug: 'kitchen',
    skuPrefix: 'KIT',
    count: 28,
    price: [999, 59_900],
    brands: ['Copperline', 'Maison', 'Fjord', 'Ironleaf'],
    lines: ['Classic', 'Chef', 'Everyday', 'Heritage'],
    kinds: [
      'Chef Knife',
      'Cast Iron Skillet',
      'Stand Mixer',
      'Dutch Oven',
      'Blender',
      'Cutting Board',
    ],
    variants: ['Small', 'Medium', 'Large'],
    features: [
      'a blade forged from high-carbon stainless steel',
      'a pre-seasoned, ready-to-use surface',
      'dishwasher safe parts',
      'an enamel finish that resists chipping',
      'a lifetime warranty',
      'handles that are oven safe up to 260 °C',
      'a non-slip base for steady work',
    ],
  },
  {
    slug: 'coffee',
    skuPrefix: 'COF',
    count: 22,
    price: [899, 89_900],
    brands: ['Crema', 'Bean & Burr', 'Altiplano', 'Roastery 9'],
    lines: ['Barista', 'Pour', 'Origin', 'Daily'],
    kinds: [
      'Espresso Machine',
      'Burr Grinder',
      'Pour-Over Kettle',
      'Whole Bean Coffee',
      'French Press',
    ],
    variants: ['250 g', '1 kg', 'Matte Black', 'Stainless'],
    features: [
      'a 58 mm portafilter and a steam wand for latte art',
      '40 grind settings from espresso to cold brew',
      'a gooseneck spout with precise temperature control',
      'single-origin beans roasted to order',
      'notes of chocolate, cherry and toasted almond',
      'a double-walled carafe that keeps coffee hot',
    ],
  },
  {
    slug: 'outdoor',
    skuPrefix: 'OUT',
    count: 26,
    price: [1_499, 64_900],
    brands: ['Summit', 'Trailhead', 'Northwind', 'Ridgeback'],
    lines: ['Alpine', 'Ultralight', 'Basecamp', 'Trek'],
    kinds: ['Tent', 'Sleeping Bag', 'Backpack', 'Headlamp', 'Camp Stove', 'Trekking Poles'],
    variants: ['1-Person', '2-Person', '35 L', '55 L', 'Regular', 'Long'],
    features: [
      'a packed weight under 1.5 kg',
      'a waterproof ripstop shell with taped seams',
      'a comfort rating down to -5 °C',
      'an adjustable, ventilated back panel',
      'a 400-lumen beam with a red night mode',
      'quick pitching with colour-coded poles',
    ],
  },
  {
    slug: 'running',
    skuPrefix: 'RUN',
    count: 24,
    price: [1_999, 24_900],
    brands: ['Stride', 'Pacer', 'Velo', 'Kinetic'],
    lines: ['Glide', 'Tempo', 'Trail', 'Racer'],
    kinds: ['Running Shoes', 'Running Jacket', 'GPS Watch', 'Hydration Vest', 'Running Socks'],
    variants: ['Size S', 'Size M', 'Size L', 'EU 42', 'EU 44'],
    features: [
      'a responsive foam midsole with a carbon plate',
      'a breathable mesh upper',
      'reflective details for running at dusk',
      'GPS accuracy with heart-rate tracking',
      'a grippy outsole for wet trails',
      'a packable, wind-resistant design',
    ],
  },
  {
    slug: 'books',
    skuPrefix: 'BOK',
    count: 30,
    price: [799, 5_999],
    brands: ['Harbor Press', 'Quill & Co', 'Lanternfish', 'Meridian Books'],
    lines: ['The Quiet', 'A History of', 'Field Guide to', 'The Art of'],
    kinds: ['Cartography', 'Bread Baking', 'Distributed Systems', 'Birdsong', 'Typography', 'Tea'],
    variants: ['Hardcover', 'Paperback', 'Illustrated Edition'],
    features: [
      'over 200 photographs and hand-drawn maps',
      'a foreword by an award-winning author',
      'practical exercises at the end of each chapter',
      'recipes and step-by-step guides',
      'FSC-certified paper and a sewn binding',
      'notes and an index for further reading',
    ],
  },
  {
    slug: 'toys',
    skuPrefix: 'TOY',
    count: 24,
    price: [999, 19_900],
    brands: ['Wobble', 'Tinker Town', 'Brickworks', 'Little Fox'],
    lines: ['Build', 'Explore', 'Play', 'Discover'],
    kinds: ['Building Set', 'Wooden Train', 'Puzzle', 'Science Kit', 'Plush Bear', 'Board Game'],
    variants: ['3+', '6+', '8+', '500 Pieces', '1000 Pieces'],
    features: [
      'parts made from sustainably sourced beech wood',
      'non-toxic, water-based paints',
      'bricks compatible with the major building systems',
      'twenty experiments with a full-colour guide',
      'rules for two to six players',
      'a machine-washable cover',
    ],
  },
  {
    slug: 'home-office',
    skuPrefix: 'OFF',
    count: 26,
    price: [1_299, 79_900],
    brands: ['Deskwise', 'Ergonaut', 'Paperplane', 'Lumen Works'],
    lines: ['Focus', 'Pro', 'Essentials', 'Balance'],
    kinds: [
      'Standing Desk',
      'Ergonomic Chair',
      'Monitor Arm',
      'Mechanical Keyboard',
      'Desk Lamp',
      'Webcam',
    ],
    variants: ['Oak', 'Walnut', 'White', 'Graphite'],
    features: [
      'a height range of 62 to 127 cm with memory presets',
      'adjustable lumbar support and 4D armrests',
      'hot-swappable switches and PBT keycaps',
      'a flicker-free light with adjustable colour temperature',
      'built-in cable management',
      'a ten-year warranty on the frame',
    ],
  },
  {
    slug: 'lighting',
    skuPrefix: 'LGT',
    count: 24,
    price: [1_999, 49_900],
    brands: ['Lumen Works', 'Nordlys', 'Atelier', 'Glowhaus'],
    lines: ['Arc', 'Globe', 'Linea', 'Halo'],
    kinds: ['Floor Lamp', 'Pendant Light', 'Table Lamp', 'Wall Sconce', 'LED Strip'],
    variants: ['Brass', 'Matte Black', 'Linen', 'Opal Glass'],
    features: [
      'a dimmable, warm-white LED',
      'a hand-blown glass shade',
      'a linen shade that softens the light',
      'smart-home support with a compatible bulb',
      'a weighted marble base',
      'an energy class A rating',
    ],
  },
];

/** mulberry32: a small, fast, seedable PRNG; the catalog must not depend on Math.random. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const DEMO_CATALOG_SEED = 20_261_124;

export function demoCatalog(): Required<CreateProductDto>[] {
  const random = prng(DEMO_CATALOG_SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const products: Required<CreateProductDto>[] = [];
  for (const plan of PLANS) {
    const names = new Set<string>();
    while (names.size < plan.count) {
      const [brand, line, kind, variant] = [plan.brands, plan.lines, plan.kinds, plan.variants].map(
        pick,
      );
      const name =
        plan.slug === 'books'
          ? `${line} ${kind} (${variant}, ${brand})`
          : `${brand} ${line} ${kind} ${variant}`;
      if (names.has(name)) continue;
      names.add(name);
      const [low, high] = plan.price;
      // Prices spread log-uniformly over the range, rounded to x.99.
      const raw = low * Math.pow(high / low, random());
      const priceCents = Math.max(99, Math.round(raw / 100) * 100 - 1);
      const [first, second] = shuffle(plan.features, random).slice(0, 2);
      const stock = random() < 0.08 ? 0 : Math.floor(random() * 240) + 5;
      products.push({
        sku: `${plan.skuPrefix}-${String(names.size).padStart(4, '0')}`,
        name,
        description: `${name}, with ${first} and ${second}.`,
        category: plan.slug,
        priceCents,
        currency: 'USD',
        stock,
      });
    }
  }
  return products;
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
