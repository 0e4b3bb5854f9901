-- TPC-DS Q58 (Appendix B.58): items whose revenue in the week of a given date is about the same
-- (within 10%) in the store, catalog and web channels.
-- @param YEAR 2000 ~ uniform(1998, 2002)
-- @param SALES_DATE '2000-01-03' ~ day(f'{YEAR}-01-01', f'{YEAR}-07-24')
with week_days as (
    select d_date_sk
    from date_dim
    where d_week_seq = (
        select d_week_seq
        from date_dim
        where d_date = date '${SALES_DATE}'
    )
),
store_revenue as (
    select i_item_id as item_id, sum(ss_ext_sales_price) as ss_item_rev
    from store_sales, item
    where ss_item_sk = i_item_sk
      and ss_sold_date_sk in (select d_date_sk from week_days)
    group by i_item_id
),
catalog_revenue as (
    select i_item_id as item_id, sum(cs_ext_sales_price) as cs_item_rev
    from catalog_sales, item
    where cs_item_sk = i_item_sk
      and cs_sold_date_sk in (select d_date_sk from week_days)
    group by i_item_id
),
web_revenue as (
    select i_item_id as item_id, sum(ws_ext_sales_price) as ws_item_rev
    from web_sales, item
    where ws_item_sk = i_item_sk
      and ws_sold_date_sk in (select d_date_sk from week_days)
    group by i_item_id
)
select
    s.item_id,
    ss_item_rev,
    ss_item_rev / ((ss_item_rev + cs_item_rev + ws_item_rev) / 3) * 100 as ss_dev,
    cs_item_rev,
    cs_item_rev / ((ss_item_rev + cs_item_rev + ws_item_rev) / 3) * 100 as cs_dev,
    ws_item_rev,
    ws_item_rev / ((ss_item_rev + cs_item_rev + ws_item_rev) / 3) * 100 as ws_dev,
    (ss_item_rev + cs_item_rev + ws_item_rev) / 3 as average
from store_revenue s, catalog_revenue c, web_revenue w
where s.item_id = c.item_id
  and s.item_id = w.item_id
  and ss_item_rev between 0.9 * cs_item_rev and 1.1 * cs_item_rev
  and ss_item_rev between 0.9 * ws_item_rev and 1.1 * ws_item_rev
  and cs_item_rev between 0.9 * ss_item_rev and 1.1 * ss_item_rev
  and cs_item_rev between 0.9 * ws_item_rev and 1.1 * ws_item_rev
  and ws_item_rev between 0.9 * ss_item_rev and 1.1 * ss_item_rev
  and ws_item_rev between 0.9 * cs_item_rev and 1.1 * cs_item_rev
order by s.item_id, ss_item_rev
limit 100
