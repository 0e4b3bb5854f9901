-- TPC-DS Q49 (Appendix B.49): per channel, the items with the ten worst return ratios by quantity or by
-- amount, among sales in a given month with large returns (return amount over 10000).
-- @param MONTH 12 ~ uniform(11, 12)
-- @param YEAR 2001 ~ uniform(1998, 2002)
with web_ratios as (
    select
        ws_item_sk as item,
        cast(sum(coalesce(wr_return_quantity, 0)) as decimal(15,4))
            / cast(sum(coalesce(ws_quantity, 0)) as decimal(15,4)) as return_ratio,
        cast(sum(coalesce(wr_return_amt, 0)) as decimal(15,4))
            / cast(sum(coalesce(ws_net_paid, 0)) as decimal(15,4)) as currency_ratio
    from web_sales
        left outer join web_returns
            on ws_order_number = wr_order_number
           and ws_item_sk = wr_item_sk,
        date_dim
    where wr_return_amt > 10000
      and ws_net_profit > 1
      and ws_net_paid > 0
      and ws_quantity > 0
      and ws_sold_date_sk = d_date_sk
      and d_year = ${YEAR}
      and d_moy = ${MONTH}
    group by ws_item_sk
),
catalog_ratios as (
    select
        cs_item_sk as item,
        cast(sum(coalesce(cr_return_quantity, 0)) as decimal(15,4))
            / cast(sum(coalesce(cs_quantity, 0)) as decimal(15,4)) as return_ratio,
        cast(sum(coalesce(cr_return_amount, 0)) as decimal(15,4))
            / cast(sum(coalesce(cs_net_paid, 0)) as decimal(15,4)) as currency_ratio
    from catalog_sales
        left outer join catalog_returns
            on cs_order_number = cr_order_number
           and cs_item_sk = cr_item_sk,
        date_dim
    where cr_return_amount > 10000
      and cs_net_profit > 1
      and cs_net_paid > 0
      and cs_quantity > 0
      and cs_sold_date_sk = d_date_sk
      and d_year = ${YEAR}
      and d_moy = ${MONTH}
    group by cs_item_sk
),
store_ratios as (
    select
        ss_item_sk as item,
        cast(sum(coalesce(sr_return_quantity, 0)) as decimal(15,4))
            / cast(sum(coalesce(ss_quantity, 0)) as decimal(15,4)) as return_ratio,
        cast(sum(coalesce(sr_return_amt, 0)) as decimal(15,4))
            / cast(sum(coalesce(ss_net_paid, 0)) as decimal(15,4)) as currency_ratio
    from store_sales
        left outer join store_returns
            on ss_ticket_number = sr_ticket_number
           and ss_item_sk = sr_item_sk,
        date_dim
    where sr_return_amt > 10000
      and ss_net_profit > 1
      and ss_net_paid > 0
      and ss_quantity > 0
      and ss_sold_date_sk = d_date_sk
      and d_year = ${YEAR}
      and d_moy = ${MONTH}
    group by ss_item_sk
),
ranked as (
    select
        'web' as channel,
        item,
        return_ratio,
        rank() over (order by return_ratio) as return_rank,
        rank() over (order by currency_ratio) as currency_rank
    from web_ratios
    union all
    select
        'catalog' as channel,
        item,
        return_ratio,
        rank() over (order by return_ratio) as return_rank,
        rank() over (order by currency_ratio) as currency_rank
    from catalog_ratios
    union all
    select
        'store' as channel,
        item,
        return_ratio,
        rank() over (order by return_ratio) as return_rank,
        rank() over (order by currency_ratio) as currency_rank
    from store_ratios
)
select distinct channel, item, return_ratio, return_rank, currency_rank
from ranked
where return_rank <= 10
   or currency_rank <= 10
order by channel, return_rank, currency_rank, item
limit 100
