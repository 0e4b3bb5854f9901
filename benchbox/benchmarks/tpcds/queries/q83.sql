-- TPC-DS Q83 (Appendix B.83): items returned in all three channels during the weeks holding three given
-- dates, with each channel's returned quantity and its share of the three-channel total.
-- @param YEAR 2000 ~ uniform(1998, 2002)
-- @param RETURNED_DATE_ONE '2000-06-30' ~ day(f'{YEAR}-01-01', f'{YEAR}-07-24')
-- @param RETURNED_DATE_TWO '2000-09-27' ~ day(f'{YEAR}-08-01', f'{YEAR}-10-24')
-- @param RETURNED_DATE_THREE '2000-11-17' ~ day(f'{YEAR}-11-01', f'{YEAR}-11-24')
with return_weeks as (
    select d_week_seq
    from date_dim
    where d_date in (
        date '${RETURNED_DATE_ONE}', date '${RETURNED_DATE_TWO}', date '${RETURNED_DATE_THREE}'
    )
),
store_qty as (
    select
        i_item_id as item_id,
        sum(sr_return_quantity) as qty
    from store_returns, item, date_dim
    where sr_item_sk = i_item_sk
      and sr_returned_date_sk = d_date_sk
      and d_week_seq in (select d_week_seq from return_weeks)
    group by i_item_id
),
catalog_qty as (
    select
        i_item_id as item_id,
        sum(cr_return_quantity) as qty
    from catalog_returns, item, date_dim
    where cr_item_sk = i_item_sk
      and cr_returned_date_sk = d_date_sk
      and d_week_seq in (select d_week_seq from return_weeks)
    group by i_item_id
),
web_qty as (
    select
        i_item_id as item_id,
        sum(wr_return_quantity) as qty
    from web_returns, item, date_dim
    where wr_item_sk = i_item_sk
      and wr_returned_date_sk = d_date_sk
      and d_week_seq in (select d_week_seq from return_weeks)
    group by i_item_id
)
select
    sr.item_id,
    sr.qty as sr_item_qty,
    cast(sr.qty as decimal(15,4)) / (sr.qty + cr.qty + wr.qty) / 3.0 * 100 as sr_dev,
    cr.qty as cr_item_qty,
    cast(cr.qty as decimal(15,4)) / (sr.qty + cr.qty + wr.qty) / 3.0 * 100 as cr_dev,
    wr.qty as wr_item_qty,
    cast(wr.qty as decimal(15,4)) / (sr.qty + cr.qty + wr.qty) / 3.0 * 100 as wr_dev,
    (sr.qty + cr.qty + wr.qty) / 3.0 as average
from store_qty sr, catalog_qty cr, web_qty wr
where sr.item_id = cr.item_id
  and sr.item_id = wr.item_id
order by sr.item_id, sr.qty
limit 100
